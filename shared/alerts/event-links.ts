/**
 * Where a responder finds the raw record of an event: the CloudTrail console's event page and the
 * `aws cloudtrail lookup-events` command. Both are built only from an event id and a Region of the
 * shapes AWS writes, so a forged record cannot put text into a link or a shell command.
 */

export interface EventLinks {
  /** CloudTrail console, Event history, the event's own page. */
  readonly console: string;
  /** The CLI call that returns the record (Event history: management events of the last 90 days). */
  readonly lookupCommand: string;
}

const REGION_SHAPE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/u;
/** CloudTrail event ids are UUIDs; anything else is not looked up. */
const EVENT_ID_SHAPE = /^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/u;

/**
 * Links for a management event; `undefined` for a data event (Event history and LookupEvents never hold
 * them: the trail's S3 logs or CloudTrail Lake do) or when the id or Region is not of AWS's shape.
 */
export function eventLinks(
  eventId: string,
  region: string | undefined,
  dataEvent: boolean | undefined,
): EventLinks | undefined {
  if (dataEvent === true || region === undefined || !REGION_SHAPE.test(region) || !EVENT_ID_SHAPE.test(eventId))
    return undefined;
  return {
    console: `https://${region}.console.aws.amazon.com/cloudtrailv2/home?region=${region}#/events/${eventId}`,
    lookupCommand: `aws cloudtrail lookup-events --region ${region} --lookup-attributes AttributeKey=EventId,AttributeValue=${eventId}`,
  };
}

/** Said instead of links for a data event. */
export const DATA_EVENT_NOTE =
  "data event: not in Event history or lookup-events; find it in the trail's S3 logs or CloudTrail Lake";
