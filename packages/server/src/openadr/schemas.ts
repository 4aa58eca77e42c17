import { z } from 'zod';
import { ADR_KINDS } from '../store/index.js';

/**
 * OpenADR 3.1's request and response shapes (openadr3.yaml, components/schemas), written out in
 * zod: they validate what VENs and BL send and are what /openapi.json shows. Optional fields are
 * nullable as in the spec; properties the spec does not define are dropped, as it allows.
 */

export const objectID = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]*$/)
  .describe('URL safe VTN assigned object ID');
const name128 = z.string().min(1).max(128);
export const target = name128.describe('User generated target string');
const targets = z.array(target).nullish();
/** RFC 3339, or the spec's 0001-01-01 for "now" */
const dateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an RFC 3339 date-time')
  .describe('datetime in RFC 3339 format');
export const DURATION =
  /^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const duration = z.string().regex(DURATION, 'expected an ISO 8601 duration').describe('ISO 8601 duration');

export const intervalPeriod = z.object({
  start: dateTime.optional(),
  duration: duration.optional(),
  randomizeStart: duration.nullish(),
});
const point = z.object({ x: z.number(), y: z.number() });
export const valuesMap = z.object({
  type: name128,
  values: z.array(z.union([z.number(), z.string(), z.boolean(), point])),
});
export const interval = z.object({
  id: z.number().int(),
  intervalPeriod: intervalPeriod.optional(),
  payloads: z.array(valuesMap),
});
const units = z.string().min(1).max(128).nullish();
export const eventPayloadDescriptor = z.object({
  objectType: z.literal('EVENT_PAYLOAD_DESCRIPTOR'),
  payloadType: name128,
  units,
  currency: z.string().nullish(),
});
export const reportPayloadDescriptor = z.object({
  objectType: z.literal('REPORT_PAYLOAD_DESCRIPTOR'),
  payloadType: name128,
  readingType: z.string().min(1).max(128).nullish(),
  units,
  accuracy: z.number().nullish(),
  confidence: z.number().int().min(0).max(100).nullish(),
});
const reportDescriptor = z.object({
  payloadType: name128,
  readingType: z.string().min(1).max(128).nullish(),
  units,
  targets,
  aggregate: z.boolean().optional(),
  startInterval: z.number().int().optional(),
  numIntervals: z.number().int().optional(),
  historical: z.boolean().optional(),
  frequency: z.number().int().optional(),
  repeat: z.number().int().optional(),
  reportIntervals: z.enum(['INTERVALS', 'SUB_INTERVALS', 'OPEN_INTERVALS']).optional(),
});

export const programRequest = z.object({
  programName: name128,
  intervalPeriod: intervalPeriod.optional(),
  programDescriptions: z.array(z.object({ URL: z.string().min(2).max(8000) })).nullish(),
  payloadDescriptors: z
    .array(z.discriminatedUnion('objectType', [eventPayloadDescriptor, reportPayloadDescriptor]))
    .nullish(),
  attributes: z.array(valuesMap).nullish(),
  targets,
});

export const eventRequest = z.object({
  programID: objectID,
  eventName: z.string().nullish(),
  duration: duration.optional(),
  priority: z.number().int().min(0).nullish(),
  targets,
  reportDescriptors: z.array(reportDescriptor).nullish(),
  payloadDescriptors: z.array(eventPayloadDescriptor).nullish(),
  intervalPeriod: intervalPeriod.optional(),
  intervals: z.array(interval).optional(),
});

export const reportRequest = z.object({
  eventID: objectID,
  clientName: name128,
  reportName: z.string().nullish(),
  payloadDescriptors: z.array(reportPayloadDescriptor).nullish(),
  resources: z.array(
    z.object({
      resourceName: name128,
      intervalPeriod: intervalPeriod.optional(),
      intervals: z.array(interval),
    }),
  ),
});

export const objectTypes = z.enum(ADR_KINDS);
export const OPERATIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const subscriptionRequest = z.object({
  clientName: name128,
  programID: objectID.optional(),
  objectOperations: z
    .array(
      z.object({
        objects: z.array(objectTypes),
        operations: z.array(z.enum(OPERATIONS)),
        callbackUrl: z
          .string()
          .min(2)
          .max(8000)
          .refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), 'expected an http(s) URL'),
        bearerToken: z.string().nullish(),
      }),
    )
    .min(1),
  targets,
});

const attributes = z.array(valuesMap).nullish();
const clientID = z.string().min(1).max(128);
export const blVenRequest = z.object({
  objectType: z.literal('BL_VEN_REQUEST'),
  clientID,
  targets,
  venName: name128,
  attributes,
});
export const venVenRequest = z.object({
  objectType: z.literal('VEN_VEN_REQUEST'),
  venName: name128,
  attributes,
});
export const venRequest = z.discriminatedUnion('objectType', [venVenRequest, blVenRequest]);

export const blResourceRequest = z.object({
  objectType: z.literal('BL_RESOURCE_REQUEST'),
  clientID,
  targets,
  resourceName: name128,
  venID: objectID,
  attributes,
});
export const venResourceRequest = z.object({
  objectType: z.literal('VEN_RESOURCE_REQUEST'),
  resourceName: name128,
  venID: objectID,
  attributes,
});
export const resourceRequest = z.discriminatedUnion('objectType', [blResourceRequest, venResourceRequest]);

const metadata = {
  id: objectID,
  createdDateTime: z.string(),
  modificationDateTime: z.string(),
};
export const program = programRequest.extend({ ...metadata, objectType: z.literal('PROGRAM') });
export const event = eventRequest.extend({ ...metadata, objectType: z.literal('EVENT') });
export const report = reportRequest.extend({ ...metadata, objectType: z.literal('REPORT'), clientID });
export const subscription = subscriptionRequest.extend({
  ...metadata,
  objectType: z.literal('SUBSCRIPTION'),
  clientID,
});
export const ven = blVenRequest
  .omit({ objectType: true })
  .extend({ ...metadata, objectType: z.literal('VEN') });
export const resource = blResourceRequest
  .omit({ objectType: true })
  .extend({ ...metadata, objectType: z.literal('RESOURCE') });

export const problem = z.object({
  type: z.string().optional(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
});

const skip = z.coerce.number().int().min(0).optional().describe('number of records to skip for pagination');
const limit = z.coerce
  .number()
  .int()
  .min(0)
  .max(50)
  .optional()
  .describe('maximum number of records to return');
/** `?targets=a&targets=b` arrives as an array, `?targets=a` as a string */
const targetsQuery = z
  .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(target))
  .optional()
  .describe('Indicates targets');

export const programsQuery = z.object({ targets: targetsQuery, skip, limit });
export const eventsQuery = z.object({
  programID: objectID.optional(),
  targets: targetsQuery,
  skip,
  limit,
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('ignore events that have transpired'),
});
export const reportsQuery = z.object({
  programID: objectID.optional(),
  eventID: objectID.optional(),
  clientName: name128.optional(),
  skip,
  limit,
});
export const subscriptionsQuery = z.object({
  programID: objectID.optional(),
  clientName: name128.optional(),
  objects: z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(objectTypes))
    .optional()
    .describe('list of objects to subscribe to'),
  skip,
  limit,
});
export const vensQuery = z.object({ venName: name128.optional(), targets: targetsQuery, skip, limit });
export const resourcesQuery = z.object({
  resourceName: name128.optional(),
  venID: objectID.optional(),
  targets: targetsQuery,
  skip,
  limit,
});

export const tokenRequest = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(4096),
  client_secret: z.string().min(1).max(4096),
  scope: z.string().max(4096).optional(),
});
export const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});
export const authServerInfo = z.object({ tokenURL: z.string() });
export const notifiersResponse = z.object({
  WEBHOOK: z.boolean(),
  MQTT: z
    .object({
      URIS: z.array(z.string()),
      serialization: z.literal('JSON'),
      authentication: z.object({ method: z.enum(['ANONYMOUS', 'OAUTH2_BEARER_TOKEN', 'CERTIFICATE']) }),
    })
    .optional(),
});
export const notifierTopicsResponse = z.object({
  topics: z.object({
    CREATE: z.string().optional(),
    UPDATE: z.string(),
    DELETE: z.string(),
    ALL: z.string().optional(),
  }),
});
