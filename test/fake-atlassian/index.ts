/** The local fake of Atlassian Cloud: see README.md. */
export { startFakeAtlassian, type FakeAtlassian, type FakeAtlassianOptions } from './server';
export type { FaultOptions, MalformedFault, MalformedKind } from './faults';
export type { TokenExchange } from './oauth';
export type { RequestLog, RequestLogEntry } from './log';
export {
  loadScenario,
  parseScenario,
  ScenarioSchema,
  ScenarioState,
  SiteState,
  type Scenario,
  type ScenarioInput,
  type ScenarioSite,
  type ScenarioUser,
  type ScenarioGroup,
  type ScenarioIdentity,
  type OAuthApp,
} from './scenario';
export { generateOrganisation, ADMIN_OPERATIONS, WRITER_OPERATIONS, READER_OPERATIONS, NO_OPERATIONS, type GenerateOptions } from './generate';
export { rosterFor, ROSTER_HEADER, type RosterOptions } from './roster';
export { ENDPOINT_SCOPES } from './scopes';
export { FakeAdminApi, ADMIN_ENDPOINTS, type AdminRateLimit } from './admin';
export { OrganisationSchema, type Organisation, type OrganisationInput, type OrgUser, type OrgProductAccess } from './org-scenario';
export { organisationFor, withOrganisation, userExportFor, exportDate, type OrganisationOptions, type UserExportOptions } from './user-export';
