import type { ManifestRoute } from '../manifest';

/**
 * Matches a request path against the manifest's path templates the way API Gateway does:
 * `{name}` is one whole, non-empty segment, and a literal segment beats a parameter
 * (so `/products/search` would win over `/products/{id}`).
 */
export interface RouteMatch {
  route: ManifestRoute;
  pathParameters: Record<string, string> | undefined;
}

export type PathLookup =
  | { kind: 'match'; match: RouteMatch }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'no-path' };

interface CompiledRoute {
  route: ManifestRoute;
  segments: { literal?: string; param?: string }[];
}

export class RouteTable {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly ManifestRoute[]) {
    this.compiled = routes.map((route) => ({
      route,
      segments: route.path
        .split('/')
        .slice(1)
        .map((segment) => {
          const param = /^\{([^}+]+)\}$/.exec(segment);
          return param ? { param: param[1] } : { literal: segment };
        }),
    }));
  }

  lookup(method: string, rawPath: string): PathLookup {
    const segments = rawPath.split('/').slice(1);
    const candidates: { compiled: CompiledRoute; params: Record<string, string>; score: number }[] = [];
    for (const compiled of this.compiled) {
      const matched = matchSegments(compiled, segments);
      if (matched) candidates.push({ compiled, ...matched });
    }
    if (candidates.length === 0) return { kind: 'no-path' };
    // Like API Gateway: among the routes for this method, the most specific template wins.
    const forMethod = candidates.filter((candidate) => candidate.compiled.route.method === method);
    const hit = forMethod.sort((a, b) => b.score - a.score)[0];
    if (!hit) return { kind: 'wrong-method', allowed: [...new Set(candidates.map((candidate) => candidate.compiled.route.method))].sort() };
    const hasParams = Object.keys(hit.params).length > 0;
    return { kind: 'match', match: { route: hit.compiled.route, pathParameters: hasParams ? hit.params : undefined } };
  }
}

function matchSegments(compiled: CompiledRoute, segments: string[]): { params: Record<string, string>; score: number } | undefined {
  if (compiled.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  let score = 0;
  for (const [index, template] of compiled.segments.entries()) {
    const actual = segments[index] ?? '';
    if (template.literal !== undefined) {
      if (template.literal !== actual) return undefined;
      score += 1;
    } else if (template.param) {
      if (actual === '') return undefined;
      params[template.param] = safeDecode(actual);
    }
  }
  return { params, score };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
