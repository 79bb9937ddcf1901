import { connectCallbackCases } from "./corpus/connect";
import { badInputSuite } from "./suite";

badInputSuite("GET /connect/:vendor/callback refuses every malformed request", connectCallbackCases, ["callback"], {
  validSource: "followupboss",
});
