/**
 * Every path no other route matches: a plain 404 through the root's error boundary ("Page not
 * found"), an expected answer rather than a router warning or a logged error.
 */
export function loader() {
  throw new Response("Not Found", { status: 404, statusText: "Not Found" });
}

export default function NotFound() {
  return null;
}
