import type { AdrKind } from '../store/index.js';
import type { Operation } from './schemas.js';

/** The spec's notifierOperationsTopics: a topic name per operation, and ALL as a wildcard over them. */
export interface OperationTopics {
  CREATE?: string;
  UPDATE: string;
  DELETE: string;
  ALL: string;
}

const PLURAL: Record<AdrKind, string> = {
  PROGRAM: 'programs',
  EVENT: 'events',
  REPORT: 'reports',
  SUBSCRIPTION: 'subscriptions',
  VEN: 'vens',
  RESOURCE: 'resources',
};

/** The objects a VEN's own topics carry. */
export type VenTopicKind = 'PROGRAM' | 'EVENT' | 'RESOURCE';

/**
 * The MQTT topic names of the VTN's notifications, as the Definition's example names them
 * (`programs/create`, …), after an optional prefix: every object of a kind; one program, and its
 * events; one ven, and the programs, events and resources that ven may see. Topics for one object
 * have no CREATE: it does not exist before it is created.
 */
export class MqttTopics {
  constructor(readonly prefix = '') {}

  private ops(base: string, create: boolean): OperationTopics {
    const b = `${this.prefix}${base}`;
    return {
      ...(create ? { CREATE: `${b}/create` } : {}),
      UPDATE: `${b}/update`,
      DELETE: `${b}/delete`,
      ALL: `${b}/+`,
    };
  }

  ofKind(kind: AdrKind): OperationTopics {
    return this.ops(PLURAL[kind], true);
  }

  ofProgram(programId: string): OperationTopics {
    return this.ops(`programs/${programId}`, false);
  }

  ofProgramEvents(programId: string): OperationTopics {
    return this.ops(`programs/${programId}/events`, true);
  }

  ofVen(venId: string): OperationTopics {
    return this.ops(`vens/${venId}`, false);
  }

  ofVenObjects(venId: string, kind: VenTopicKind): OperationTopics {
    return this.ops(`vens/${venId}/${PLURAL[kind]}`, true);
  }

  /** The topic of one operation in a set (undefined: CREATE on a one-object set). */
  static of(topics: OperationTopics, op: Operation): string | undefined {
    if (op === 'READ') return undefined;
    return topics[op];
  }
}
