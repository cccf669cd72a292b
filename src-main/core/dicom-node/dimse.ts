import dimse from 'dcmjs-dimse';

// dcmjs-dimse is CommonJS: one default import, shared by the node's modules. Its own logger
// writes to the console; the node reports through the app's logger instead.
dimse.log.setLevel(process.env['DIMSE_LOG'] === '1' ? 'info' : 'silent');

export { dimse };
export type DimseAssociation = InstanceType<typeof dimse.association.Association>;
export type DimsePresentationContext = InstanceType<typeof dimse.association.PresentationContext>;
export type DimseStoreRequest = InstanceType<typeof dimse.requests.CStoreRequest>;
export type DimseStoreResponse = InstanceType<typeof dimse.responses.CStoreResponse>;
export type DimseEchoRequest = InstanceType<typeof dimse.requests.CEchoRequest>;
export type DimseEchoResponse = InstanceType<typeof dimse.responses.CEchoResponse>;
export type DimseRequest = InstanceType<typeof dimse.requests.Request>;
export type DimseDataset = InstanceType<typeof dimse.Dataset>;
