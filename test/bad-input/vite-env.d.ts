// `?raw` imports of the bad-input fixtures are a Vite feature.
/// <reference types="vite/client" />
