/**
 * A customer's file (WhatsApp media, an email attachment) as we answer it: its own content
 * type, never sniffed; shown in the page only as a picture, a sound or a video, anything else
 * a download under its name.
 */
export function fileHeaders(object: R2Object, filename: string | null): Record<string, string> {
  const type = object.httpMetadata?.contentType ?? "application/octet-stream";
  const inline = /^(image\/(png|jpeg|gif|webp)|audio\/[\w.+-]+|video\/[\w.+-]+)$/.test(type);
  return {
    "Content-Type": type,
    "Cache-Control": "private, max-age=3600",
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": inline
      ? "inline"
      : `attachment; filename*=UTF-8''${encodeURIComponent(filename ?? "file")}`,
  };
}
