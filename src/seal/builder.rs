pub struct SealBuilder;
