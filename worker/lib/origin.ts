/** Whether a request's Origin (when sent) is our own or one configured as allowed. */
export function isSameOrAllowedOrigin(request: Request, allowedOrigins: string[]): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return true;
  return origin === new URL(request.url).origin || allowedOrigins.includes(origin);
}
