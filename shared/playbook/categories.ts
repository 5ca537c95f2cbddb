import type { Category, ResponseStep } from './types';

export interface CategoryInfo {
  readonly title: string;
  /** The Amazon Q playbook's analysis questions that this category's events help answer, in our words. */
  readonly questions: readonly string[];
  /** Steps that apply to every operation of the category, after the row's own steps. */
  readonly steps: readonly ResponseStep[];
}

const Q_BUSINESS_UG = 'https://docs.aws.amazon.com/amazonq/latest/qbusiness-ug';
const CLOUDTRAIL_LOGGING = `${Q_BUSINESS_UG}/logging-using-cloudtrail.html`;

export const QUESTIONS = {
  resources: 'Which Amazon Q resources did this principal create or delete, and are they known?',
  plugins: 'Which plugins were created, changed or used, and which third-party systems can they reach?',
  applications: 'Which applications and data sources could Amazon Q reach during the incident?',
  accessed: 'Did Amazon Q actually read those applications or data sources (sync jobs, retrievals, chats)?',
  uploads: 'Were files uploaded to Amazon Q or its indexes, by whom and into which data source?',
  ide: 'Does Amazon Q have access to an IDE or developer environment of this principal?',
} as const;

const verifyPrincipal: ResponseStep = {
  text: 'Confirm with the principal or its owner that the call was expected; if not, treat its credentials as compromised.',
  link: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_disable-perms.html',
};
const reviewTrail: ResponseStep = {
  text: "Review the principal's other CloudTrail events around this time, including Amazon Q data events.",
  link: CLOUDTRAIL_LOGGING,
};

export const CATEGORY_INFO: Readonly<Record<Category, CategoryInfo>> = {
  application: {
    title: 'Amazon Q Business application',
    questions: [QUESTIONS.resources, QUESTIONS.applications],
    steps: [
      verifyPrincipal,
      {
        text: 'Compare the application configuration (identity type, encryption, attachments, access) with its approved baseline.',
        link: `${Q_BUSINESS_UG}/supported-app-actions.html`,
      },
      reviewTrail,
    ],
  },
  index: {
    title: 'Amazon Q Business index',
    questions: [QUESTIONS.resources, QUESTIONS.applications],
    steps: [
      verifyPrincipal,
      {
        text: 'Check which data sources feed the index and whether its capacity or settings changed.',
        link: `${Q_BUSINESS_UG}/select-retriever.html`,
      },
      reviewTrail,
    ],
  },
  retriever: {
    title: 'Amazon Q Business retriever',
    questions: [QUESTIONS.resources, QUESTIONS.applications, QUESTIONS.accessed],
    steps: [
      verifyPrincipal,
      {
        text: 'Check that the retriever still points at an approved native or Amazon Kendra index.',
        link: `${Q_BUSINESS_UG}/supported-native-retriever-actions.html`,
      },
      reviewTrail,
    ],
  },
  'data-source': {
    title: 'Amazon Q Business data source',
    questions: [QUESTIONS.applications, QUESTIONS.accessed, QUESTIONS.uploads],
    steps: [
      verifyPrincipal,
      {
        text: 'Review the data source connection, its credentials secret, its role and its sync history.',
        link: `${Q_BUSINESS_UG}/supported-datasource-actions.html`,
      },
      reviewTrail,
    ],
  },
  document: {
    title: 'Amazon Q Business documents',
    questions: [QUESTIONS.uploads, QUESTIONS.accessed],
    steps: [
      verifyPrincipal,
      {
        text: 'List the documents added or removed and check them against the approved sources; remove unapproved uploads.',
        link: `${Q_BUSINESS_UG}/delete-doc-upload.html`,
      },
      reviewTrail,
    ],
  },
  conversation: {
    title: 'Amazon Q Business conversations',
    questions: [QUESTIONS.accessed, QUESTIONS.uploads],
    steps: [
      verifyPrincipal,
      {
        text: 'Check whether conversations were read or deleted in bulk, which can mean data collection or covering tracks.',
        link: CLOUDTRAIL_LOGGING,
      },
      reviewTrail,
    ],
  },
  'user-group': {
    title: 'Amazon Q Business users and groups',
    questions: [QUESTIONS.resources, QUESTIONS.applications],
    steps: [
      verifyPrincipal,
      {
        text: 'Compare user and group mappings with the identity source; access to documents follows these mappings.',
        link: `${Q_BUSINESS_UG}/connector-principal-store.html`,
      },
      reviewTrail,
    ],
  },
  plugin: {
    title: 'Amazon Q Business plugin',
    questions: [QUESTIONS.plugins, QUESTIONS.resources],
    steps: [
      verifyPrincipal,
      {
        text: 'Inspect the plugin target, its authentication secret and its role: a plugin lets Amazon Q act in another system.',
        link: `${Q_BUSINESS_UG}/plugins.html`,
      },
      reviewTrail,
    ],
  },
  guardrails: {
    title: 'Amazon Q Business chat controls',
    questions: [QUESTIONS.resources, QUESTIONS.accessed],
    steps: [
      verifyPrincipal,
      {
        text: 'Restore the approved chat controls (blocked phrases, topic controls, response scope) and note what changed.',
        link: `${Q_BUSINESS_UG}/guardrails.html`,
      },
      reviewTrail,
    ],
  },
  'web-experience': {
    title: 'Amazon Q Business web experience',
    questions: [QUESTIONS.resources, QUESTIONS.applications],
    steps: [
      verifyPrincipal,
      {
        text: 'Check the web experience origins, identity provider and role; an unexpected one exposes the assistant.',
        link: `${Q_BUSINESS_UG}/supported-exp-actions.html`,
      },
      reviewTrail,
    ],
  },
  'data-accessor': {
    title: 'Amazon Q Business data accessor',
    questions: [QUESTIONS.applications, QUESTIONS.accessed],
    steps: [
      verifyPrincipal,
      {
        text: 'Identify the party behind the data accessor and the actions granted to it; revoke what was not approved.',
        link: `${Q_BUSINESS_UG}/data-accessors.html`,
      },
      reviewTrail,
    ],
  },
  subscription: {
    title: 'Amazon Q Business subscription',
    questions: [QUESTIONS.resources],
    steps: [
      verifyPrincipal,
      {
        text: 'Check who was given or lost a subscription and the cost it carries.',
        link: `${Q_BUSINESS_UG}/tiers.html`,
      },
      reviewTrail,
    ],
  },
  'q-app': {
    title: 'Amazon Q Apps',
    questions: [QUESTIONS.resources, QUESTIONS.uploads, QUESTIONS.accessed],
    steps: [
      verifyPrincipal,
      {
        text: 'Review who can see or run the Q App (library items, shared permissions) and which documents it was given.',
        link: 'https://docs.aws.amazon.com/amazonq/latest/api-reference/API_Operations_QApps.html',
      },
      reviewTrail,
    ],
  },
  'developer-ide': {
    title: 'Amazon Q Developer in the IDE and CLI',
    questions: [QUESTIONS.ide, QUESTIONS.uploads],
    steps: [
      verifyPrincipal,
      {
        text: 'Review which code the principal uploaded or generated, and which customizations and profiles it changed.',
        link: 'https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/logging-using-cloudtrail.html',
      },
      reviewTrail,
    ],
  },
  general: {
    title: 'Amazon Q Developer',
    questions: [QUESTIONS.ide, QUESTIONS.accessed],
    steps: [
      verifyPrincipal,
      {
        text: 'Review what the principal asked Amazon Q and which console errors it troubleshot.',
        link: 'https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/logging-using-cloudtrail.html',
      },
      reviewTrail,
    ],
  },
  unclassified: {
    title: 'Amazon Q operation not in the playbook table',
    questions: [QUESTIONS.resources, QUESTIONS.accessed],
    steps: [
      {
        text: 'This operation has no row in the playbook table: look it up in the API reference and update the table (or a rules file).',
        link: 'https://docs.aws.amazon.com/amazonq/latest/api-reference/API_Operations.html',
      },
      verifyPrincipal,
      reviewTrail,
    ],
  },
};
