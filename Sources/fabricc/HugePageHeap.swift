#if canImport(Glibc)
    import Foundation
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
        static let page = 2 << 20
        // <malloc.h>, which the Glibc module does not bring in.
        static let mTrimThreshold: Int32 = -1
        static let mTopPad: Int32 = -2
        static let mMmapThreshold: Int32 = -3
        // <bits/mman-linux.h>, Linux 5.14: fault pages in without touching them.
        static let madvPopulateWrite: Int32 = 23

        /// The advised range, once ``enable()`` made it.
        nonisolated(unsafe) private static var advised: Range<Int>?

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
            let start = (Int(bitPattern: probe) + page - 1) & ~(page - 1)
            let end = Int(bitPattern: sbrk(0))
            guard end > start else { return }
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
            advised = start..<end
        }

        /// Faults in the first pages of the heap on another core while the
        /// intent at `entry` loads: on a virtual machine a page's first touch
        /// can cost the host a fault of its own (2 ms per MiB measured here
        /// after an idle pause, a third of a `check`), which the compiler's
        /// thread would otherwise wait for one page at a time. About as
        /// much as loading the intent will need: 32 bytes per byte of the
        /// entry file (a 5.5 MB intent keeps about 180 MiB in it), at most
        /// the reserve. A small intent gets nothing: its heap is small, or
        /// its loops make it large later, which the file's size cannot tell
        /// (and a guess would be memory a small `check` never uses).
        static func prefault(forEntry entry: String) {
            guard let range = advised else { return }
            var st = stat()
            let size = stat(entry, &st) == 0 ? Int(st.st_size) : 0
            let length = min(range.count, size.multipliedReportingOverflow(by: 32).partialValue)
            guard length >= 16 << 20 else { return }
            let start = range.lowerBound
            Thread.detachNewThread {
                // In steps, so the compiler's own first touches find pages
                // already there from the start; a kernel without the advice
                // refuses the first step and nothing more is tried.
                var p = start
                while p < start + length {
                    guard madvise(UnsafeMutableRawPointer(bitPattern: p), page, madvPopulateWrite) == 0 else { return }
                    p += page
                }
            }
        }
    }
    @_silgen_name("mallopt")
    private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#else
    enum HugePageHeap {
        static func enable() {}
        static func prefault(forEntry entry: String) {}
    }
#endif
