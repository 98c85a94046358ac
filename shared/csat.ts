/*
 * Customer satisfaction (CSAT) surveys: what the Worker and the pages share.
 */

/** The longest comment a requester may leave with their rating. */
export const CSAT_COMMENT_MAX = 2000;

/** The ratings' words, 1 to 5. */
export const CSAT_WORDS = ["Bad", "Poor", "OK", "Good", "Great"] as const;

/** What answering a survey after it expired says (the page shows the closed state on it). */
export const CSAT_CLOSED_MESSAGE = "This survey has closed; it can no longer be answered.";
