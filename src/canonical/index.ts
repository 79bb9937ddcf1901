/**
 * The canonical model: the one shape every system's data is mapped into, and the events that
 * carry it. The queue messages that move them and the routing table live in `src/queues/`.
 */
export * from "./primitives";
export * from "./person";
export * from "./property";
export * from "./deal";
export * from "./event-data";
export * from "./events";
export * from "./result";
export * from "./json-schema";
export * from "./golden";
