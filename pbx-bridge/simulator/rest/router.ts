interface RestRequest {
  /** Values of the `:name` segments of the route pattern. */
  readonly pathParams: Readonly<Record<string, string>>;
  /** Query parameters merged with the fields of a JSON object body (as ARI accepts both). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The parsed JSON body, or undefined. */
  readonly body: unknown;
}

export type RestResponse =
  | { status: number; json?: unknown }
  | { status: number; contentType: string; data: Buffer };

export type RestHandler = (request: RestRequest) => RestResponse;

/** An error answer in ARI's shape: `{ "message": "..." }` with the status the spec gives. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "RestError";
  }
}

interface Route {
  method: string;
  segments: string[];
  handler: RestHandler;
}

export type RouteMatch =
  | { kind: "found"; handler: RestHandler; pathParams: Record<string, string> }
  | { kind: "method_not_allowed" }
  | { kind: "not_found" };

/** Matches `METHOD /a/:param/b` patterns, segment by segment. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RestHandler): this {
    this.routes.push({ method, segments: splitPath(pattern), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const segments = splitPath(path);
    let pathExists = false;
    for (const route of this.routes) {
      const pathParams = matchSegments(route.segments, segments);
      if (!pathParams) continue;
      pathExists = true;
      if (route.method === method) return { kind: "found", handler: route.handler, pathParams };
    }
    return { kind: pathExists ? "method_not_allowed" : "not_found" };
  }
}

function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment.length > 0);
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const segment = actual[index] ?? "";
    if (expected.startsWith(":")) {
      params[expected.slice(1)] = decodeURIComponent(segment);
    } else if (expected !== segment) {
      return null;
    }
  }
  return params;
}
