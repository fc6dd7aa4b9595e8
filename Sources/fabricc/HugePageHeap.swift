#if canImport(Glibc)
    import Glibc

    /// Asks for the heap in huge pages where the kernel gives them on request
    /// (`transparent_hugepage=madvise`). A big intent's tree and model are
    /// millions of small allocations over 100–600 MiB, and faulting that in
    /// 4 KiB at a time was a fifth of a `check`. glibc can do this itself
    /// (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), but only when set before the
    /// process starts; so the heap's first growth reserves a large top (no
    /// memory is used until touched) and that range is advised here.
    enum HugePageHeap {
        static let reserve = 512 << 20
        // <malloc.h>, which the Glibc module does not bring in.
        static let mTrimThreshold: Int32 = -1
        static let mTopPad: Int32 = -2
        static let mMmapThreshold: Int32 = -3

        static func enable() {
            // Grow the heap by `reserve` at its first extension and keep it:
            // the range stays one advised mapping instead of being trimmed and
            // grown again in small steps.
            guard mallopt(mTopPad, Int32(reserve)) == 1, mallopt(mTrimThreshold, Int32(reserve)) == 1 else { return }
            // A block too big for the free space the runtime's start left makes
            // that first extension now; freed, it stays in the heap's top.
            _ = mallopt(mMmapThreshold, Int32(32 << 20))
            guard let probe = malloc(16 << 20) else { return }
            defer { free(probe) }
            let page = 2 << 20
            let start = (Int(bitPattern: probe) + page - 1) & ~(page - 1)
            let end = Int(bitPattern: sbrk(0))
            guard end > start else { return }
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
        }
    }
    @_silgen_name("mallopt")
    private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#else
    enum HugePageHeap {
        static func enable() {}
    }
#endif
