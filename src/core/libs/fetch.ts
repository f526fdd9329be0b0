// node-fetch, bundled on its own into dist/fetch.js and loaded on the first request (../http.ts): the
// HTTP stack is a sixth of the extension's code, and activation sends nothing. Named, not default: a
// bundle's default export reaches import() as the whole module.
export { default as nodeFetch } from 'node-fetch';
