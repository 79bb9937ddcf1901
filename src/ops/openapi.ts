import * as z from "../lib/zod";
import { ProblemSchema } from "./schemas";

/** One API route as data: the same schemas the handler validates with describe it here. */
/** What a route is to the Worker: its method, path and the schemas its input is checked against. */
export interface RouteShape {
  method: "get" | "post";
  /** Hono path relative to the API root, e.g. `/dead-letters/:id`. */
  path: string;
  params?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  body?: z.ZodMiniType;
}

/** What the OpenAPI document says of a route, beside its shape. */
export interface RouteDoc {
  summary: string;
  tag: string;
  /** What a 200 answer holds, in a sentence. */
  returns: string;
  /** Extra documented failures beyond 401 and the validation errors. */
  errors?: readonly (404 | 409 | 503)[];
}

export type RouteSpec = RouteShape & RouteDoc;

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodMiniType): JsonSchema {
  // Requests are described by what a client sends (`io: "input"`): a query number is a digit string.
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodMiniObject | undefined, where: "path" | "query") {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const s = field as z.ZodMiniType;
    const { description, ...rest } = jsonSchema(s);
    return {
      name,
      in: where,
      required: where === "path" || !s.safeParse(undefined).success,
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

/** The failures every route may answer, described once under `components.responses`. */
const FAILURES = {
  400: ["Malformed", "A malformed id or body; nothing changed."],
  401: ["Unauthorized", "Missing or invalid credentials."],
  404: ["NotFound", "No such record."],
  403: ["CrossSite", "A change another site asked a browser to make; nothing changed."],
  409: ["Conflict", "The record is not in a state that allows this."],
  413: ["TooLarge", "The body is over 16 KiB; nothing changed."],
  415: ["NotJson", "The body is not application/json; nothing changed."],
  422: ["Invalid", "The input failed validation; nothing changed."],
  429: ["RateLimited", "Too many failed sign-ins from this client; wait for Retry-After."],
  503: ["QueueUnavailable", "A queue did not accept the message; retry later."],
} as const;

/** The OpenAPI 3.1 document of the routes, mounted under `base`. */
export function openApiDocument(routes: Record<string, RouteSpec>, opts: { base: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const failure = (status: keyof typeof FAILURES) => ({ $ref: `#/components/responses/${FAILURES[status][0]}` });
  for (const [operationId, r] of Object.entries(routes)) {
    const path = `${opts.base}${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`;
    const responses: Record<string, unknown> = {
      200: { description: r.returns, content: { "application/json": { schema: { type: "object" } } } },
      401: failure(401),
      429: failure(429),
    };
    if (r.method !== "get") responses[403] = failure(403);
    if (r.query || r.body) responses[422] = failure(422);
    if (r.params || r.body) responses[400] = failure(400);
    if (r.body) Object.assign(responses, { 413: failure(413), 415: failure(415) });
    for (const status of r.errors ?? []) responses[status] = failure(status);
    paths[path] = {
      ...paths[path],
      [r.method]: {
        operationId,
        summary: r.summary,
        tags: [r.tag],
        parameters: [...parameters(r.params, "path"), ...parameters(r.query, "query")],
        ...(r.body
          ? {
              requestBody: {
                required: !r.body.safeParse(undefined).success,
                content: { "application/json": { schema: jsonSchema(r.body) } },
              },
            }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "dealwire ops API",
      version: opts.version,
      description: "Find records and their traces, replay or discard dead letters, decide merges, read health and ROI.",
    },
    security: [{ bearer: [] }, { cloudflareAccess: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "The OPS_TOKEN secret." },
        cloudflareAccess: {
          type: "apiKey",
          in: "header",
          name: "Cf-Access-Jwt-Assertion",
          description: "A Cloudflare Access JWT, when OPS_ACCESS_AUD is configured.",
        },
      },
      schemas: { Problem: jsonSchema(ProblemSchema) },
      responses: Object.fromEntries(
        Object.values(FAILURES).map(([name, description]) => [
          name,
          { description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
        ]),
      ),
    },
  };
}
