/** Types shared by the sampling library, the spot-check service and the `sample` command. */

export interface OrgNode {
  id: string;
  parentId: string | null;
  name: string;
  kind?: string;
}

/** A thing that can be checked: a branch (id = its org id) or a person holding a post (id = person id, orgId = their branch). */
export interface SampleUnit {
  id: string;
  orgId: string;
  label?: string;
}

export interface LevelRule {
  /** depth below the round's scope root: 0 = the scope root itself, 1 = its children, 2 = grandchildren … Each org at that depth is a stratum. */
  level: number;
  /** at least k units in each stratum's subtree */
  min?: number;
  /** at most m (with min: between k and m) */
  max?: number;
  /** 0 < share ≤ 1: at least ceil(share × eligible units in the stratum) */
  share?: number;
  /** every eligible unit */
  all?: boolean;
}

export interface SamplingRule {
  levels: LevelRule[];
  /** 0..20, used by the caller to build `excluded` */
  excludeRecentRounds?: number;
}

export interface SamplingInput {
  scopeId: string;
  orgs: OrgNode[];
  units: SampleUnit[];
  /** unit ids not eligible (checked in the last N rounds) */
  excluded?: string[];
}

export interface StratumReport {
  orgId: string;
  name: string;
  level: number;
  eligible: number;
  /** this stratum's own bounds from its rule (share and all resolved, max capped at eligible) */
  min: number;
  max: number;
  selected: number;
}

export interface DrawResult {
  /** sorted by id */
  selected: string[];
  /** every constrained stratum, depth-first from the scope */
  strata: StratumReport[];
}

export interface InspectorCandidate {
  personId: string;
  name?: string;
  /** orgs the inspector belongs to */
  orgIds: string[];
}
