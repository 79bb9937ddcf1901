// `?raw` imports of the shared data in these tests are a Vite feature.
/// <reference types="vite/client" />
