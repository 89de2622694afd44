// Where the explorers' modules live, for the tests in this folder.
export const JS = new URL("../../mlebook/explorers/js/", import.meta.url);
export const load = (path) => import(new URL(path, JS).href);
