import { buildStandardSignatureSlice } from "./corpus/hooks";
import { badInputSuite } from "./suite";

badInputSuite("POST /hooks/:source refuses bad Standard Webhooks signatures and timestamps", buildStandardSignatureSlice, ["signature"], {
  validSource: "zillow",
});
