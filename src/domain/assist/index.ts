import { DepartmentClassifier, TOPIC_LEXICON, type DepartmentSeed, type Suggestion } from './classifier.js';
import { riskFlags, type Flag, type FlagReason } from './flags.js';
import { LocationFinder, type LocationMatch } from './location.js';
import { findRepeats, type EarlierCase, type RepeatCandidate } from './similar.js';
import { BURST_WINDOW_MS, incidentHint, isBurst, type IncidentHint } from './incident.js';
import { stems } from './stem.js';

/**
 * Assistance for the administrator's triage (pure: no I/O, the caller supplies the organization's
 * lists, the earlier cases and the decisions to learn from). Everything here is a suggestion shown
 * beside the card's buttons; nothing is applied without a person's press.
 */

export { DepartmentClassifier, riskFlags, LocationFinder, findRepeats, incidentHint };
export type { DepartmentSeed, Suggestion, Flag, FlagReason, LocationMatch, EarlierCase, RepeatCandidate, IncidentHint };
export { checkDraft, type DraftWarning, type DraftCheckInput } from './draft-check.js';

/** Which regulation button a flag suggests: a rejection reason (К19, А9) or a ban reason (А10). */
export interface FlagAction {
  kind: 'reject' | 'ban';
  reasonId: string;
}
const FLAG_ACTIONS: Record<FlagReason, FlagAction[]> = {
  obscene: [{ kind: 'reject', reasonId: 'obscene_or_offensive' }],
  insult: [
    { kind: 'reject', reasonId: 'obscene_or_offensive' },
    { kind: 'ban', reasonId: 'insults' },
  ],
  threat: [{ kind: 'reject', reasonId: 'threats' }],
  illegal_call: [{ kind: 'ban', reasonId: 'illegal_calls' }],
  advertising: [{ kind: 'ban', reasonId: 'advertising' }],
  off_topic: [{ kind: 'ban', reasonId: 'off_topic' }],
};

/** The buttons a flag suggests that this regulation has (Канаш has no bans: none for advertising). */
export function flagActions(reason: FlagReason, regulation: { rejectionReasons: readonly { id: string }[]; banReasons: readonly { id: string }[]; bansAllowed: boolean }): FlagAction[] {
  return FLAG_ACTIONS[reason].filter((a) =>
    a.kind === 'reject' ? regulation.rejectionReasons.some((r) => r.id === a.reasonId) : regulation.bansAllowed && regulation.banReasons.some((r) => r.id === a.reasonId),
  );
}

export interface OrgLists {
  departments: readonly DepartmentSeed[];
  topics: readonly string[];
  locations: readonly string[];
}

export interface Assistance {
  departments: Suggestion[];
  topic: string | null;
  location: LocationMatch | null;
  flags: Flag[];
  repeats: RepeatCandidate[];
  incident: IncidentHint | null;
}

export interface AssistInput {
  text: string;
  authorId: string | null;
  at: number;
  earlier: readonly EarlierCase[];
}

export class Assistant {
  readonly classifier: DepartmentClassifier;
  private readonly places: LocationFinder;

  constructor(private readonly org: OrgLists) {
    // Place names (and the words of their types) are everywhere; they tell nothing of the department.
    const places = new Set(org.locations.flatMap((l) => stems(l)).filter((s) => s.length >= 3));
    this.classifier = new DepartmentClassifier(org.departments, places);
    this.places = new LocationFinder(org.locations);
  }

  location(text: string): LocationMatch | null {
    return this.places.find(text);
  }

  suggest(input: AssistInput): Assistance {
    const location = this.places.find(input.text);
    const flags = riskFlags(input.text, { located: !!location });
    const departments = flags.length ? [] : this.classifier.rank(input.text).slice(0, 3);
    const top = departments[0]?.departmentId ?? null;
    const repeats = flags.length
      ? []
      : findRepeats({ text: input.text, authorId: input.authorId, location: location?.location ?? null, departmentId: top, at: input.at, incident: (t) => incidentHint(t) !== null }, input.earlier);
    let incident = flags.length ? null : incidentHint(input.text);
    if (!flags.length) {
      // A burst of similar comments (after an accident people write at once) is a sign by itself.
      const recent = input.earlier.filter((e) => e.at <= input.at && input.at - e.at <= BURST_WINDOW_MS);
      const similar = findRepeats({ text: input.text, authorId: null, location: location?.location ?? null, departmentId: top, at: input.at }, recent, recent.length).length;
      if (isBurst(similar)) incident = { words: incident?.words ?? [], burst: similar + 1 };
    }
    return { departments, topic: top ? this.topicFor(input.text, top) : null, location, flags, repeats, incident };
  }

  /** The organization's topic that best fits: among the suggested department's topics, by lexicon words. */
  private topicFor(text: string, departmentId: string): string | null {
    const dept = this.org.departments.find((d) => d.id === departmentId);
    const candidates = (dept?.topics ?? []).filter((t) => this.org.topics.includes(t));
    if (!candidates.length) return null;
    const mine = new Set(stems(text));
    let best = candidates[0]!;
    let bestScore = -1;
    for (const t of candidates) {
      const score = stems(`${t} ${TOPIC_LEXICON[t.toLowerCase()] ?? ''}`).filter((s) => mine.has(s)).length;
      if (score > bestScore) {
        best = t;
        bestScore = score;
      }
    }
    return best;
  }
}
