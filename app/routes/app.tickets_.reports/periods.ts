/** The periods the desk's reports offer, in days back from now (30 by default). */
export const REPORT_PERIODS = [7, 30, 90] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
