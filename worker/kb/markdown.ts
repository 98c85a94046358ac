import MarkdownIt from "markdown-it";
import { isHttpUrl } from "../../shared/http-url";

/*
 * Articles' Markdown to HTML, on the server only (this module never reaches a client bundle:
 * pages get the HTML from their loaders). markdown-it with `html: false` escapes every raw
 * HTML tag, so no element or attribute (`<script>`, `onerror=`) comes from the author; links
 * must be http(s), mailto or relative, images http(s); anything else is dropped to its text.
 */

/** A scheme at the start of a URL, once the characters browsers ignore there are removed. */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const LINK_SCHEMES = new Set(["http", "https", "mailto"]);

function schemeOf(url: string): string | null {
  // Browsers skip leading spaces/controls and tabs or newlines anywhere ("java\tscript:").
  // biome-ignore lint/suspicious/noControlCharactersInRegex: those are what is removed
  const cleaned = url.replace(/[\u0000-\u0020\u007f]/g, "");
  const match = SCHEME.exec(cleaned);
  return match?.[1] ? match[1].toLowerCase() : null;
}

/** An href an article may carry: http(s), mailto, or relative (no scheme). */
export function isSafeLink(url: string): boolean {
  const scheme = schemeOf(url);
  return scheme === null || LINK_SCHEMES.has(scheme);
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.validateLink = isSafeLink;

const renderLink = md.renderer.rules.link_open;
md.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const token = tokens[index];
  const href = token?.attrGet("href") ?? "";
  if (token && schemeOf(href) !== null) token.attrSet("rel", "nofollow noopener noreferrer");
  return renderLink
    ? renderLink(tokens, index, options, env, self)
    : self.renderToken(tokens, index, options);
};

const renderImage = md.renderer.rules.image;
md.renderer.rules.image = (tokens, index, options, env, self) => {
  const token = tokens[index];
  if (!token || !isHttpUrl(token.attrGet("src") ?? "")) {
    return md.utils.escapeHtml(
      token ? self.renderInlineAsText(token.children ?? [], options, env) : "",
    );
  }
  token.attrSet("loading", "lazy");
  return renderImage
    ? renderImage(tokens, index, options, env, self)
    : self.renderToken(tokens, index, options);
};

/** The article's body as HTML that is safe to put in a page as it is. */
export function renderMarkdown(markdown: string): string {
  return md.render(markdown);
}

/** Plain text of the body's start, for lists and search results. */
export function markdownExcerpt(markdown: string, length = 160): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    // Marks that start a line (a heading, a quote, a bullet, a table's rule) and table cells'
    // pipes part words; emphasis and code marks go without a trace, so "**Team**." stays
    // "Team." and a hyphen inside a word ("e-mail", a date) or a "#1001" stays.
    .replace(/^[ \t]*(?:#{1,6}[ \t]|>+|[-*+][ \t]|\|?[ \t]*:?-{3,}[-:| \t]*$)/gm, " ")
    .replace(/\|/g, " ")
    .replace(/[*`~]+|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;
}
