import { z } from 'zod';
import { defineHubSpotConnector } from './connector';
import { CrmObject, RecordId } from './schemas';

/** HubSpot's own association type "note to deal" (https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide#note-to-object). */
export const NOTE_TO_DEAL = 214;

/**
 * POST /crm/v3/objects/notes (https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide):
 * a note on the deal's timeline, associated in the same call. `hs_timestamp` (required by
 * HubSpot) is when the note is dated on the timeline. HubSpot takes no idempotency key, so a retry
 * after an answer that was lost can add the note twice.
 */
export const createDealNote = defineHubSpotConnector({
  name: 'createDealNote',
  description: "Add a note to a deal's timeline (HTML or plain text)",
  input: z.object({
    dealId: RecordId,
    body: z.string().min(1).max(65_536).describe('The note: plain text or simple HTML'),
    timestamp: z.iso.datetime({ offset: true }).optional().describe('When the note is dated on the timeline (default: now)'),
    ownerId: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional()
      .describe('The HubSpot user the note belongs to'),
  }),
  output: CrmObject,
  request: ({ dealId, body, timestamp, ownerId }) => ({
    method: 'POST',
    path: '/crm/v3/objects/notes',
    body: {
      properties: { hs_note_body: body, hs_timestamp: new Date(timestamp ?? Date.now()).toISOString(), ...(ownerId ? { hubspot_owner_id: ownerId } : {}) },
      associations: [{ to: { id: dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_DEAL }] }],
    },
  }),
});
