/**
 * buyapowa-sdk/api: the integration guide's server APIs as a typed client, for Node 20+ and
 * fetch-only runtimes. Never bundle it for the browser: it carries your auth token.
 *
 * - {@link BuyapowaApi}: `api.referrals`, `api.signups`, `api.friends`, `api.reports`,
 *   `api.subscriptions`, `api.users`.
 * - {@link BuyapowaApiError}: what every call rejects with, with a `code`.
 *
 * @packageDocumentation
 */
export { BuyapowaApi, REGION_URLS } from './api/client';
export type { BuyapowaApiOptions, Region } from './api/client';
export { BuyapowaApiError } from './api/errors';
export type { BuyapowaApiErrorCode, BatchPosition } from './api/errors';
export type { ApiResult, FetchLike } from './api/http';
export type { BatchOptions, BatchProgress, BatchResult, ChunkResult, BatchProblem, Rows } from './api/batch';
export { RECONCILIATION_STATUSES, fromGuideCsv } from './api/fields';
export type { GuideCsvKind } from './api/fields';
export type { Referrals, TrackingOrder, ReconciliationOrder, ReconciliationStatus } from './api/referrals';
export type { Signups, Signup, SignupRequest, SignupLinks, SignupRow, SignupBatchOptions } from './api/signups';
export type { Friends, Registration, RegistrationRequest, RegistrationBatchOptions } from './api/friends';
export { REPORT_MAX_RANGE_SECONDS } from './api/reports';
export type { Reports, ReportType, ReportRow, ReportRange, ReportWindow } from './api/reports';
export type { Subscriptions, Users, ApiUser, EmailRow } from './api/users';
