import type { Simulator } from "../../src/sim/index.js";

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> };
}

/** A bare HTTP client for the simulator, as any Wiz client would talk to it (no SDK involved). */
export class SimSession {
  private token?: string;

  constructor(
    readonly sim: Simulator,
    private readonly credentials = { clientId: sim.clientId, clientSecret: sim.clientSecret },
  ) {}

  async fetchToken(audience = this.sim.audience): Promise<Response> {
    return fetch(this.sim.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: this.credentials.clientId, client_secret: this.credentials.clientSecret, audience }),
    });
  }

  async accessToken(): Promise<string> {
    if (!this.token) {
      const response = await this.fetchToken();
      if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
      this.token = ((await response.json()) as { access_token: string }).access_token;
    }
    return this.token;
  }

  forgetToken(): void {
    this.token = undefined;
  }

  async raw(body: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.sim.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await this.accessToken()}`, ...headers },
      body,
    });
  }

  async query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const response = await this.raw(JSON.stringify({ query, variables }));
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as GraphQLResponse<T>["body"] };
  }

  /** Runs a query that must succeed and returns its data. */
  async data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.query<T>(query, variables);
    if (result.status !== 200 || result.body.errors?.length || !result.body.data) {
      throw new Error(`query failed (${result.status}): ${JSON.stringify(result.body.errors ?? result.body)}`);
    }
    return result.body.data;
  }

  /** Follows pageInfo.endCursor until hasNextPage is false; returns every node. */
  async all<N>(query: string, variables: Record<string, unknown>, root: string): Promise<N[]> {
    const nodes: N[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100_000; page += 1) {
      const data: Record<string, { nodes: N[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> = await this.data(query, { ...variables, after });
      const connection = data[root];
      if (!connection) throw new Error(`no ${root} in response`);
      nodes.push(...connection.nodes);
      if (!connection.pageInfo.hasNextPage) return nodes;
      after = connection.pageInfo.endCursor;
    }
    throw new Error("pagination did not end");
  }
}
