import { connectCallbackCases, connectStartCases, PROTOTYPE_VENDOR_BUG } from "./corpus/connect";
import { badInputSuite } from "./suite";

badInputSuite(
  "GET /connect/:vendor and /connect/:vendor/callback refuse every malformed request",
  async () => [...connectStartCases(), ...(await connectCallbackCases())],
  ["connect", "callback"],
  { knownBugs: [PROTOTYPE_VENDOR_BUG], validSource: "dotloop" },
);
