//! The wasm heap: power-of-two size classes with one free list each, carved from `memory.grow`.
//! A tenth of dlmalloc's code (which costs ~3 KB of the gzipped package); every operation is
//! O(1). Memory freed to a class is reused by that class only and never returned to the host —
//! wasm memory cannot shrink anyway. The module is single-threaded, so no locking. Nothing here
//! calls out or allocates, so no call can re-enter it.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65_536;
/// Classes 2^4 (16 bytes) to 2^31.
const MIN_CLASS: u32 = 4;

struct Heap {
    free: [*mut u8; 32],
    next: usize,
    end: usize,
}

pub(crate) struct ClassAlloc(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without atomics runs one thread.
unsafe impl Sync for ClassAlloc {}

#[global_allocator]
static ALLOC: ClassAlloc = ClassAlloc(UnsafeCell::new(Heap { free: [null_mut(); 32], next: 0, end: 0 }));

fn class(layout: Layout) -> Option<u32> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let class = usize::BITS - (size - 1).leading_zeros();
    (class < 32).then_some(class)
}

impl Heap {
    unsafe fn carve(&mut self, size: usize, align: usize) -> *mut u8 {
        let start = (self.next + align - 1) & !(align - 1);
        if start < self.next || start.checked_add(size).map_or(true, |e| e > self.end) {
            let pages = size.saturating_add(align).div_ceil(PAGE).max(16);
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return null_mut();
            }
            let base = old * PAGE;
            // Start over in the new pages unless they continue the current region.
            if base != self.end {
                self.next = base;
            }
            self.end = base + pages * PAGE;
            return unsafe { self.carve(size, align) };
        }
        self.next = start + size;
        start as *mut u8
    }
}

unsafe impl GlobalAlloc for ClassAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: single-threaded; no reentrancy (nothing here allocates).
        let heap = unsafe { &mut *self.0.get() };
        let Some(c) = class(layout) else { return null_mut() };
        let head = heap.free[c as usize];
        if !head.is_null() && (head as usize) & (layout.align() - 1) == 0 {
            // SAFETY: a freed block of this class stores the next free block in its first word.
            heap.free[c as usize] = unsafe { *(head as *mut *mut u8) };
            return head;
        }
        // Small classes are 16-byte aligned; larger alignments are honoured as asked.
        unsafe { heap.carve(1 << c, layout.align().max(16)) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as in alloc; the block is at least 16 bytes, room for the link.
        let heap = unsafe { &mut *self.0.get() };
        let Some(c) = class(layout) else { return };
        unsafe { *(ptr as *mut *mut u8) = heap.free[c as usize] };
        heap.free[c as usize] = ptr;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `layout.align()` with `new_size` is a valid layout.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if class(layout) == class(new) {
            return ptr;
        }
        let out = unsafe { self.alloc(new) };
        if !out.is_null() {
            unsafe {
                core::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        out
    }
}
