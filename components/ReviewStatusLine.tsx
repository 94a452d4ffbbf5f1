import type { SiteReviewState } from '@/lib/campaign/types';
import { formatCount, formatDateTime } from './format';

/** The popup's word on a site's access reviews: "Review due", the open review, remediation counts. */
export function ReviewStatusLine({ review }: { review: SiteReviewState }) {
  const r = review.remediation;
  return (
    <div data-testid="review-status">
      {review.reviewDue && (
        <p>
          <strong class="review-due">Review due</strong>
          {review.lastCompletedAt ? ` — last completed ${formatDateTime(review.lastCompletedAt)}` : ' — no review completed yet'}
        </p>
      )}
      {review.open && <p>Review in progress since {formatDateTime(review.open.startedAt)}</p>}
      {r.pending + r.overdue + r.verified > 0 && (
        <p>
          Remediation: {formatCount(r.pending)} pending, {formatCount(r.overdue)} overdue
        </p>
      )}
    </div>
  );
}
