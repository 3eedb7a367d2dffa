export type Route =
  | { readonly kind: "method"; readonly token: string; readonly method: string }
  | { readonly kind: "file"; readonly token: string; readonly path: string };

/** `/bot<token>/<method>` and `/file/bot<token>/<path>`, as on api.telegram.org. */
export function parseRoute(pathname: string): Route | undefined {
  const method = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(pathname);
  if (method?.[1] !== undefined && method[2] !== undefined) {
    return { kind: "method", token: decodeURIComponent(method[1]), method: method[2] };
  }
  const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname);
  if (file?.[1] !== undefined && file[2] !== undefined) {
    return { kind: "file", token: decodeURIComponent(file[1]), path: decodeURIComponent(file[2]) };
  }
  return undefined;
}
