import { opsApiCases } from "./corpus/ops-api";
import { badInputSuite } from "./suite";

badInputSuite(
  "/ops/api/* refuses every malformed request with its problem document",
  async () => opsApiCases(),
  ["api-auth", "api-id", "api-query", "api-body", "api-method"],
  { validSource: "realtor" },
);
