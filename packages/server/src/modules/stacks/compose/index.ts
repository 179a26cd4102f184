export { loadProject } from './load-project.js';
