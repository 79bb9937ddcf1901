// `import.meta.glob` and JSON/`?raw` imports in these tests are Vite features.
/// <reference types="vite/client" />
