/** What every audited action records about where it came from. */
export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export function requestMetaOf(request: Request, requestId: string): RequestMeta {
  return {
    requestId,
    ip: request.headers.get("cf-connecting-ip") ?? request.headers.get("x-real-ip"),
    userAgent: request.headers.get("user-agent"),
  };
}
