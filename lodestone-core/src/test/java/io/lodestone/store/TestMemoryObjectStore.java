package io.lodestone.store;

/** The contract suite on {@link MemoryObjectStore}. */
class TestMemoryObjectStore extends BaseObjectStoreTestCase {

    @Override
    protected ObjectStore newStore() {
        return new MemoryObjectStore();
    }

    @Override
    protected int raceSlotCount() {
        return 500;
    }
}
