// Hangfire keeps its storage in process-wide statics (JobStorage.Current), so two hosts built
// side by side in this process can enqueue into each other's storage. Test collections run one
// after another; each test still gets its own database, folders and servers.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
