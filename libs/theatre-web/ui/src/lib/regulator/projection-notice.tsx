import type { ProjectionState } from '../api/api.types';

/**
 * Said in words, above the counts, whenever recall-matching has not applied everything
 * published: a count that may be short read as complete would leave patients out of a recall's
 * reach, or a hospital's acknowledgement out of its progress.
 */
export function ProjectionNotice({ projection }: { projection: ProjectionState }) {
  if (projection.caughtUp) return null;
  return (
    <div role="alert" className="provisional" data-testid="provisional">
      <p className="provisional__title">PROVISIONAL: these counts may be incomplete</p>
      <p>
        recall-matching is still catching up with implants and acknowledgements recorded elsewhere,
        so the true numbers may be higher. Do not treat these counts as complete.
      </p>
      {projection.doubts.length > 0 && (
        <ul>
          {projection.doubts.map((doubt) => (
            <li key={doubt}>{doubt}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "at least" before a count that may be short, so the number itself never reads as complete. */
export function provisional(projection: ProjectionState | undefined): string {
  return projection === undefined || projection.caughtUp ? '' : 'at least ';
}
