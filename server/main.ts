/**
 * Entry point of `npm start`. React and React Router choose their production or development
 * builds from NODE_ENV when they are first imported, so it is settled here, before anything
 * else is loaded: production unless the caller says otherwise (`npm run dev` does).
 */
export {};

process.env.NODE_ENV ??= "production";
await import("./index.ts");
