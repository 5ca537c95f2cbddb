/**
 * The playbook table: every Amazon Q operation → category, base severity, IR phase and response steps.
 * Data, not code: adding an operation is one row here and one case in test/unit/playbook/table.test.ts.
 */
import type { PlaybookRow } from './types';

const QB = 'qbusiness.amazonaws.com';
const API = 'https://docs.aws.amazon.com/amazonq/latest/api-reference';

export const PLAYBOOK_TABLE: readonly PlaybookRow[] = [
  {
    eventSource: QB,
    eventName: 'CreatePlugin',
    category: 'plugin',
    description: 'Adds a plugin that lets the assistant call an external system with stored credentials.',
    severity: 'HIGH',
    phase: 'containment-eradication',
    access: 'write',
    steps: [{ text: 'Review the plugin and delete it if it was not approved.', link: `${API}/API_DeletePlugin.html` }],
    inPlaybook: true,
  },
  {
    eventSource: QB,
    eventName: 'BatchDeleteDocument',
    category: 'document',
    description: 'Removes documents from an index; in bulk it can erase evidence or sabotage answers.',
    severity: 'MEDIUM',
    phase: 'detection-analysis',
    access: 'write',
    steps: [],
    inPlaybook: true,
  },
  {
    eventSource: QB,
    eventName: 'ListConversations',
    category: 'conversation',
    description: "Lists a user's conversations with the assistant.",
    severity: 'INFORMATIONAL',
    phase: 'detection-analysis',
    access: 'read',
    steps: [],
    inPlaybook: true,
  },
];
