/**
 * The canonical model: the one shape every system's data is mapped into, the events that carry
 * it, the queue messages that move it, and the routing table of who subscribes to what.
 */
export * from "./primitives";
export * from "./person";
export * from "./property";
export * from "./deal";
export * from "./event-data";
export * from "./events";
export * from "./messages";
export * from "./result";
export * from "./routing";
export * from "./json-schema";
export * from "./golden";
