export * from './types';
export { PLAYBOOK_TABLE } from './table';
export { CATEGORY_INFO, QUESTIONS } from './categories';
export type { CategoryInfo } from './categories';
