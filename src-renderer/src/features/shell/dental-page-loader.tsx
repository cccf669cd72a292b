import { lazy, Suspense, type ComponentProps } from 'react';

// The dental pages use three.js (the meshes) and the panoramic maths: a chunk of their own,
// fetched when the Dental area is opened.
const LazyDentalPage = lazy(() =>
  import('../dental/dental-page.js').then((m) => ({ default: m.DentalPage })),
);
const LazyDentalCasePage = lazy(() =>
  import('../dental/dental-case-page.js').then((m) => ({ default: m.DentalCasePage })),
);

const opening = <div className="table-placeholder">Opening dental cases…</div>;

export function DentalPage(props: ComponentProps<typeof LazyDentalPage>) {
  return (
    <Suspense fallback={opening}>
      <LazyDentalPage {...props} />
    </Suspense>
  );
}

export function DentalCasePage(props: ComponentProps<typeof LazyDentalCasePage>) {
  return (
    <Suspense fallback={opening}>
      <LazyDentalCasePage {...props} />
    </Suspense>
  );
}
