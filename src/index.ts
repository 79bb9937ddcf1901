import { createApp } from "./routes/app";
import { health } from "./routes/health";

export { VendorGate } from "./durable/vendor-gate";

const app = createApp();
app.route("/health", health);

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
