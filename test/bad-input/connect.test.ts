import { connectStartCases } from "./corpus/connect";
import { badInputSuite } from "./suite";

badInputSuite("GET /connect/:vendor refuses every malformed request", async () => connectStartCases(), ["connect"], {
  validSource: "dotloop",
});
