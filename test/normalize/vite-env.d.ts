// `?raw` imports of the shared third-party data are a Vite feature.
/// <reference types="vite/client" />
