import { z } from 'zod';

/** Shapes of the two files in a report folder. Cross-file rules live in `validate.ts`. */

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');
const paragraphRefs = z.array(z.number().int().positive()).min(1, 'must cite at least one paragraph');
const keywords = z.array(z.string().min(1)).optional();
/** Set by add-report on what it found by itself; a fact without it was written or corrected by hand, and wins. */
const origin = z.literal('automatic').optional();

export const reportFileSchema = z.strictObject({
  id,
  title: z.string().min(1),
  outlet: z.string(),
  date: z.string(),
  url: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be an http(s) link' })]),
  blocks: z
    .array(
      z.union([
        z.strictObject({ heading: z.string().min(1) }),
        z.strictObject({
          paragraph: z.number().int().positive(),
          text: z.string().min(1),
          attribution: z
            .strictObject({
              speaker: id.optional(),
              occasion: z.string().min(1).optional(),
              authority: z.string().min(1).optional(),
              origin,
            })
            .optional(),
          keywords,
        }),
      ]),
    )
    .min(1),
});

const claimStatus = z.enum(['disputed', 'unproven', 'speculation', 'confirmed']);

export const factsFileSchema = z.strictObject({
  entities: z.array(
    z.strictObject({
      id,
      kind: z.enum(['person', 'organisation', 'place', 'group']),
      name: z.string().min(1),
      aliases: z.array(z.string().min(1)),
      role: z.string(),
      summary: z.string().min(1),
      paragraphs: paragraphRefs,
      keywords,
      origin,
    }),
  ),
  arrests: z.array(
    z.strictObject({
      id,
      // "A 30-year-old man", as the report describes the person; count covers a group ("nine people").
      who: z.string().min(1),
      age: z.number().int().positive().optional(),
      sex: z.enum(['man', 'woman']).optional(),
      count: z.number().int().positive().optional(),
      where: z.string().min(1),
      when: z.string().min(1),
      suspicion: z.string().min(1),
      status: z.string().min(1),
      paragraphs: paragraphRefs,
      keywords,
      origin,
    }),
  ),
  quotes: z.array(
    z.strictObject({
      id,
      // An entity id; the text must appear verbatim in a cited paragraph (after normalising quotes and spaces).
      speaker: id,
      role: z.string(),
      text: z.string().min(1),
      occasion: z.string(),
      paragraphs: paragraphRefs,
      keywords,
      origin,
    }),
  ),
  claims: z.array(
    z.strictObject({
      id,
      claim: z.string().min(1),
      claimedBy: z.string().min(1),
      status: claimStatus,
      evidence: z.string().min(1),
      evidenceBy: z.string().min(1),
      paragraphs: paragraphRefs,
      keywords,
      origin,
    }),
  ),
  timeline: z.array(
    z.strictObject({
      id,
      // As the report gives it ("one day after the attack", "last Thursday"); events keep the report's order.
      when: z.string().min(1),
      what: z.string().min(1),
      paragraphs: paragraphRefs,
      keywords,
      origin,
    }),
  ),
  suggestedQuestions: z.array(z.string().min(1).max(100)),
  synonyms: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional(),
  /** Ids of automatic facts a curator removed: a re-import does not bring them back. */
  rejected: z.array(id).optional(),
});

export type ReportFile = z.infer<typeof reportFileSchema>;
export type FactsFile = z.infer<typeof factsFileSchema>;
