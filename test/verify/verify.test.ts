// src/verify: the published vectors (driven from shared/data), then builder-based tests where a
// valid delivery per scheme has one thing changed per test. The suites live in ./suites and run
// from this one file because each test file pays its own workerd setup (the dir stays < 10 s).
import { everySchemeSuite } from "./suites/every-scheme";
import { rotationAndListSuite } from "./suites/rotation-and-lists";
import { schemeConfigSuite } from "./suites/scheme-config";
import { timestampSuite } from "./suites/timestamps";
import { unsignedHeaderSuite } from "./suites/unsigned-headers";
import { vectorSuite } from "./suites/vectors";
import { vendorVariantSuite } from "./suites/vendor-variants";

vectorSuite();
everySchemeSuite();
timestampSuite();
rotationAndListSuite();
vendorVariantSuite();
schemeConfigSuite();
unsignedHeaderSuite();
