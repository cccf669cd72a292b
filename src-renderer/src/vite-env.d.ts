// Vite's client types: import.meta.glob (build-time file lists) and asset imports.
/// <reference types="vite/client" />
