/** What a route handler sees of a request. */
export interface ApiRequest {
  readonly method: string;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  /** The simulator's own base URL, for absolute pagination links. */
  readonly baseUrl: string;
}

/** What a route handler answers: a status and a JSON body (none for 204). */
export interface ApiResult {
  readonly status: number;
  readonly body?: unknown;
}
