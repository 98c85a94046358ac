/*
 * An article's body as the server rendered it (worker/kb/markdown.ts: raw HTML escaped, links
 * and images checked), styled for reading. Used by the help page and the editor's preview.
 * A wide table scrolls inside itself and long words wrap: the page never scrolls sideways.
 */
export function ArticleBody({ html, className = "" }: { html: string; className?: string }) {
  return (
    <div
      className={`max-w-none break-words [&>*:first-child]:mt-0 [&>*:last-child]:mb-0 text-[15px] leading-7 text-slate-700 [&_a]:text-indigo-700 [&_a]:underline [&_blockquote]:my-4 [&_blockquote]:border-l-4 [&_blockquote]:border-slate-200 [&_blockquote]:pl-4 [&_blockquote]:text-slate-600 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:text-[13px] [&_h1]:mt-6 [&_h1]:text-2xl [&_h1]:font-semibold [&_h1]:text-slate-900 [&_h2]:mt-6 [&_h2]:text-xl [&_h2]:font-semibold [&_h2]:text-slate-900 [&_h3]:mt-5 [&_h3]:font-semibold [&_h3]:text-slate-900 [&_hr]:my-6 [&_img]:my-4 [&_img]:max-w-full [&_img]:rounded-lg [&_li]:mt-1 [&_ol]:my-3 [&_ol]:list-decimal [&_ol]:pl-6 [&_p]:my-3 [&_pre]:my-4 [&_pre]:overflow-x-auto [&_pre]:rounded-lg [&_pre]:bg-slate-900 [&_pre]:p-4 [&_pre]:text-slate-100 [&_pre_code]:bg-transparent [&_pre_code]:text-slate-100 [&_table]:my-4 [&_table]:block [&_table]:w-max [&_table]:max-w-full [&_table]:overflow-x-auto [&_table]:text-sm [&_td]:border [&_td]:border-slate-200 [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:border-slate-200 [&_th]:px-2 [&_th]:py-1 [&_th]:text-left [&_ul]:my-3 [&_ul]:list-disc [&_ul]:pl-6 ${className}`}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered by worker/kb/markdown.ts, which escapes raw HTML and checks every link and image
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
