/**
 * The hub's zod: zod/mini (functions and checks instead of method chains), which lets esbuild
 * bundle only the schema kinds the hub uses, with zod's English messages. Import it as
 * `import * as z from "../lib/zod"`.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());

export * from "zod/mini";
