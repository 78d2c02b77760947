/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_smmu.cpp - the SMMU register frame as software sees it: IDR values
 * from the platform config, CR0/CR0ACK and IRQ_CTRL/IRQ_CTRLACK update
 * latency, CMDQ_BASE/CONS guarding, PROD masking, GBPA, GERROR/GERRORN and
 * the GERROR interrupt and MSI, page 1 (EVTQ/PRIQ PROD/CONS only),
 * access-size rules, peek (IHI 0070 6.3, 6.3.28, 6.3.26-6.3.28, 6.3.19, 6.3.20,
 * 6.3.9, 6.3.10; arm-smmu-v3.h).
 */
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "cmdqv_sim/model.h"
#include "cmdqv_sim/status.h"
#include "harness_fixture.h"
#include "tb_harness.h"

namespace
{

constexpr enum cmdqv_space S = CMDQV_SPACE_SMMU;
constexpr uint64_t QBASE = 0x100000;

uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((UINT64_C(1) << (hi - lo + 1)) - 1);
}

class Smmu : public HarnessTest {
    protected:
	void start()
	{
		bring_up();
	}
	/* Make GERROR.CMDQ_ERR active with an illegal command on an enabled CMDQ. */
	void raise_cmdq_error()
	{
		struct cmd c;
		std::memset(&c, 0, sizeof(c));
		c.opcode = 0x07; /* reserved opcode */
		tb_harness_push(&h, TB_HQ_SMMU, &c);
		tb_harness_publish(&h, TB_HQ_SMMU);
		tb_harness_run(&h, SIM_US(10));
	}
};

TEST_F(Smmu, IdrValuesFollowConfig)
{
	start();
	uint64_t idr0 = rd(0x0), idr1 = rd(0x4), idr3 = rd(0xC),
		 idr5 = rd(0x14);
	EXPECT_EQ(bits(idr0, 0, 0), 1u); /* S2P */
	EXPECT_EQ(bits(idr0, 1, 1), 1u); /* S1P */
	EXPECT_EQ(bits(idr0, 3, 2), 2u); /* TTF AArch64 */
	EXPECT_EQ(bits(idr0, 4, 4), 1u); /* COHACC */
	EXPECT_EQ(bits(idr0, 9, 9), 1u); /* HYP */
	EXPECT_EQ(bits(idr0, 10, 10), 1u); /* ATS */
	EXPECT_EQ(bits(idr0, 12, 12), 1u); /* ASID16 */
	EXPECT_EQ(bits(idr0, 13, 13), 1u); /* MSI */
	EXPECT_EQ(bits(idr0, 14, 14), 1u); /* SEV */
	EXPECT_EQ(bits(idr0, 16, 16), 0u); /* PRI */
	EXPECT_EQ(bits(idr0, 18, 18), 1u); /* VMID16 */
	EXPECT_EQ(bits(idr0, 22, 21), 2u); /* TTENDIAN LE */
	EXPECT_EQ(bits(idr0, 25, 24), 1u); /* STALL_MODEL: no stall */
	EXPECT_EQ(bits(idr0, 26, 26), 1u); /* TERM_MODEL */
	EXPECT_EQ(bits(idr0, 28, 27), 1u); /* 2-level stream table */
	EXPECT_EQ(bits(idr1, 25, 21), 19u);
	EXPECT_EQ(bits(idr1, 20, 16), 19u);
	EXPECT_EQ(bits(idr1, 10, 6), 20u);
	EXPECT_EQ(bits(idr1, 5, 0), 16u);
	EXPECT_EQ(bits(idr3, 10, 10), 1u);
	EXPECT_EQ(bits(idr5, 2, 0), 5u); /* 48-bit OAS */
	EXPECT_EQ(bits(idr5, 6, 4), 7u); /* 4K, 16K, 64K */
	EXPECT_EQ(rd(0x18), cfg.iidr);
	EXPECT_EQ(rd(0x1C), 2u); /* SMMUv3.2 */
}

TEST_F(Smmu, IdrValuesFollowNonDefaultConfig)
{
	cfg.s2p = cfg.ats = cfg.msi = cfg.sev = cfg.hyp = false;
	cfg.cmdqv = false; /* CMD-QV needs stage 2 */
	cfg.vmid16 = cfg.ril = false;
	cfg.stall = cfg.pri = true;
	cfg.cmdqs = 8;
	cfg.sidsize = 20;
	cfg.oas = 44;
	cfg.iidr = 0x4870043b;
	start();
	uint64_t idr0 = rd(0x0), idr1 = rd(0x4);
	EXPECT_EQ(bits(idr0, 0, 0), 0u);
	EXPECT_EQ(bits(idr0, 1, 1), 1u);
	EXPECT_EQ(bits(idr0, 9, 9), 0u);
	EXPECT_EQ(bits(idr0, 10, 10), 0u);
	EXPECT_EQ(bits(idr0, 13, 13), 0u);
	EXPECT_EQ(bits(idr0, 14, 14), 0u);
	EXPECT_EQ(bits(idr0, 16, 16), 1u);
	EXPECT_EQ(bits(idr0, 18, 18), 0u);
	EXPECT_EQ(bits(idr0, 25, 24), 0u); /* stall and terminate */
	EXPECT_EQ(bits(idr1, 25, 21), 8u);
	EXPECT_EQ(bits(idr1, 5, 0), 20u);
	EXPECT_EQ(bits(idr1, 15, 11), 19u); /* PRIQS with PRI */
	EXPECT_EQ(bits(rd(0xC), 10, 10), 0u);
	EXPECT_EQ(bits(rd(0x14), 2, 0), 4u); /* 44-bit */
	EXPECT_EQ(rd(0x18), 0x4870043bu);
}

TEST_F(Smmu, IdrsAreReadOnly)
{
	start();
	uint64_t idr0 = rd(0x0);
	wr(0x0, ~idr0 & 0xffffffffu);
	EXPECT_EQ(rd(0x0), idr0);
}

TEST_F(Smmu, Cr0AckFollowsCr0AfterLatency)
{
	start();
	wr(0x20, 0x8);
	EXPECT_EQ(rd(0x20),
		  0x8u); /* CR0 reads back the written value at once */
	EXPECT_EQ(rd(0x24), 0x0u);
	tb_harness_run(&h, cycles(cfg.cr0ack_cycles) - 1);
	EXPECT_EQ(rd(0x24), 0x0u);
	tb_harness_run(&h, 1);
	EXPECT_EQ(rd(0x24), 0x8u);
}

TEST_F(Smmu, SecondCr0WriteDuringUpdateIsAppliedAfterIt)
{
	start();
	wr(0x20, 0x8);
	tb_harness_run(&h, cycles(1));
	wr(0x20, 0x9);
	tb_harness_run(&h, cycles(cfg.cr0ack_cycles));
	EXPECT_EQ(rd(0x24), 0x8u);
	tb_harness_run(&h, cycles(cfg.cr0ack_cycles));
	EXPECT_EQ(rd(0x24), 0x9u);
}

TEST_F(Smmu, IrqCtrlAckFollowsIrqCtrlAfterLatency)
{
	start();
	wr(0x50, 0x5);
	EXPECT_EQ(rd(0x50), 0x5u);
	EXPECT_EQ(rd(0x54), 0x0u);
	tb_harness_run(&h, cycles(cfg.cr0ack_cycles));
	EXPECT_EQ(rd(0x54), 0x5u);
}

TEST_F(Smmu, GbpaUpdateSelfClears)
{
	start();
	wr(0x44, 0x80100000); /* UPDATE | ABORT */
	EXPECT_EQ(rd(0x44), 0x80100000u);
	tb_harness_run(&h, cycles(cfg.cr0ack_cycles));
	EXPECT_EQ(rd(0x44), 0x00100000u);
	wr(0x44, 0x0); /* without UPDATE: ignored */
	EXPECT_EQ(rd(0x44), 0x00100000u);
}

TEST_F(Smmu, LinuxResetSequenceStoresTables)
{
	start();
	ASSERT_TRUE(tb_harness_smmu_up(&h, QBASE, 8, true));
	EXPECT_EQ(rd(0x28), 0xd75u);
	EXPECT_EQ(rd(0x2C), 0x6u);
	EXPECT_EQ(rd(0x80, 8), (UINT64_C(1) << 62) | 0x80000000u);
	EXPECT_EQ(rd(0x88), 0x10210u);
	EXPECT_EQ(rd(0x90, 8), (UINT64_C(1) << 62) | QBASE | 8);
	EXPECT_EQ(rd(0x24), 0x9u);
	EXPECT_EQ(rd(0x54), 0x1u);
}

TEST_F(Smmu, Page1HoldsOnlyEvtqAndPriqProdCons)
{
	start();
	/* IHI 0070 6.3; arm-smmu-v3.h: EVTQ/PRIQ PROD/CONS at +0x10000 are the
	 * page-0 registers. */
	wr(0x100A8, 0x12);
	wr(0xAC, 0x34);
	wr(0x100C8, 0x56);
	wr(0xCC, 0x78);
	EXPECT_EQ(rd(0xA8), 0x12u);
	EXPECT_EQ(rd(0x100AC), 0x34u);
	EXPECT_EQ(rd(0xC8), 0x56u);
	EXPECT_EQ(rd(0x100CC), 0x78u);
	EXPECT_EQ(rd(0x100A8, 8), (UINT64_C(0x34) << 32) | 0x12u);
	wr(0x100C8, (UINT64_C(0x9) << 32) | 0xA, 8);
	EXPECT_EQ(rd(0xC8), 0xAu);
	EXPECT_EQ(rd(0xCC), 0x9u);
	/* Everything else in page 1 is RAZ/WI: no IDRs, no CMDQ registers. */
	EXPECT_NE(rd(0x0), 0u);
	EXPECT_EQ(rd(0x10000), 0u);
	wr(0x10090, 0x100004, 8); /* CMDQ_BASE offset in page 1 */
	EXPECT_EQ(rd(0x90, 8), 0u);
	EXPECT_EQ(rd(0x10090, 8), 0u);
	wr(0x10098, 0x3); /* CMDQ_PROD offset in page 1 */
	EXPECT_EQ(rd(0x98), 0u);
	wr(0x100A0, 0x200004, 8); /* EVTQ_BASE is page 0 only */
	EXPECT_EQ(rd(0xA0, 8), 0u);
	wr(0xA0, 0x200004, 8);
	EXPECT_EQ(rd(0x100A0, 8), 0u);
	/* Size and alignment rules still apply in page 1. */
	uint64_t v = 0;
	EXPECT_EQ(cmdqv_mmio_read(h.n.model, CMDQV_SPACE_SMMU, 0x100AC, 8, &v),
		  CMDQV_ESIZE);
	EXPECT_EQ(cmdqv_mmio_read(h.n.model, CMDQV_SPACE_SMMU, 0x10002, 4, &v),
		  CMDQV_ESIZE);
}

TEST_F(Smmu, CmdqBaseAndConsIgnoredWhileEnabled)
{
	start();
	ASSERT_TRUE(tb_harness_smmu_up(&h, QBASE, 8, false));
	uint64_t base = rd(0x90, 8);
	wr(0x90, 0x200000 | 4, 8);
	wr(0x9C, 0x5);
	EXPECT_EQ(rd(0x90, 8), base);
	EXPECT_EQ(rd(0x9C), 0x0u);
	/* During the 1 -> 0 transition (CR0ACK.CMDQEN still 1) it stays RO. */
	wr(0x20, 0x0);
	wr(0x90, 0x200000 | 4, 8);
	EXPECT_EQ(rd(0x90, 8), base);
	tb_harness_run(&h, cycles(cfg.cr0ack_cycles));
	wr(0x90, 0x200000 | 4, 8);
	wr(0x9C, 0x5);
	EXPECT_EQ(rd(0x90, 8), 0x200000u | 4);
	EXPECT_EQ(rd(0x9C), 0x5u);
}

TEST_F(Smmu, CmdqBaseLog2SizeCappedAtCmdqs)
{
	cfg.cmdqs = 10;
	start();
	wr(0x90, QBASE | 0x1f, 8);
	EXPECT_EQ(rd(0x90, 8) & 0x1f, 10u);
}

TEST_F(Smmu, CmdqBaseWrittenAsTwo32BitHalves)
{
	start();
	wr(0x90, QBASE | 6);
	wr(0x94, 0x40000000);
	EXPECT_EQ(rd(0x90, 8), (UINT64_C(1) << 62) | QBASE | 6);
	EXPECT_EQ(rd(0x94), 0x40000000u);
}

TEST_F(Smmu, ProdBitsAboveWrapAreRes0)
{
	start();
	wr(0x90, QBASE | 4, 8); /* 16 entries: wrap is bit 4 */
	wr(0x98, 0xffffffff);
	EXPECT_EQ(rd(0x98), 0x1fu);
}

TEST_F(Smmu, GerrorToggledOnCmdqErrorAndAcknowledgedByGerrorn)
{
	start();
	ASSERT_TRUE(tb_harness_smmu_up(&h, QBASE, 8, true));
	EXPECT_FALSE(cmdqv_irq_level(h.n.model, CMDQV_IRQ_GERROR));
	raise_cmdq_error();
	EXPECT_EQ(rd(0x60) & 1, 1u);
	EXPECT_EQ(rd(0x64) & 1, 0u);
	EXPECT_TRUE(cmdqv_irq_level(h.n.model, CMDQV_IRQ_GERROR));
	EXPECT_EQ(cmdqv_irq_edges(h.n.model, CMDQV_IRQ_GERROR), 1u);
	wr(0x64, rd(0x60));
	EXPECT_FALSE(cmdqv_irq_level(h.n.model, CMDQV_IRQ_GERROR));
	EXPECT_EQ(rd(0x64), rd(0x60));
}

TEST_F(Smmu, GerrorWithoutIrqEnDoesNotInterrupt)
{
	start();
	ASSERT_TRUE(tb_harness_smmu_up(&h, QBASE, 8, true));
	wr(0x50, 0);
	tb_harness_run(&h, cycles(cfg.cr0ack_cycles));
	raise_cmdq_error();
	EXPECT_EQ(rd(0x60) & 1, 1u);
	EXPECT_FALSE(cmdqv_irq_level(h.n.model, CMDQV_IRQ_GERROR));
	/* Enabling later does not raise an interrupt for the old error (IHI
	 * 0070 6.3.19, 6.3.20). */
	wr(0x50, 1);
	tb_harness_run(&h, cycles(cfg.cr0ack_cycles));
	EXPECT_FALSE(cmdqv_irq_level(h.n.model, CMDQV_IRQ_GERROR));
}

TEST_F(Smmu, GerrorMsiWritesCfg1DataToCfg0Address)
{
	start();
	ASSERT_TRUE(tb_harness_smmu_up(&h, QBASE, 8, true));
	wr(0x68, 0x9000, 8);
	wr(0x70, 0xabcd1234);
	tb_mem_write64(&h.n.mem, 0x9000, 0);
	raise_cmdq_error();
	EXPECT_EQ(tb_mem_read32(&h.n.mem, 0x9000), 0xabcd1234u);
	struct cmdqv_stats st;
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.msi_writes, 1u);
}

TEST_F(Smmu, GerrorMsiAbortSetsMsiGerrorAbtErr)
{
	start();
	ASSERT_TRUE(tb_harness_smmu_up(&h, QBASE, 8, true));
	wr(0x68, 0x9000, 8);
	tb_mem_add_fault(&h.n.mem, 0x9000, 4);
	raise_cmdq_error();
	EXPECT_EQ(rd(0x60) & 0x81, 0x81u); /* CMDQ_ERR | MSI_GERROR_ABT_ERR */
}

TEST_F(Smmu, AccessRulesAndHoles)
{
	start();
	uint64_t v = 1;
	EXPECT_EQ(cmdqv_mmio_read(h.n.model, S, 0x20000, 4, &v), CMDQV_EADDR);
	EXPECT_EQ(cmdqv_mmio_read(h.n.model, S, 0x22, 4, &v), CMDQV_ESIZE);
	EXPECT_EQ(cmdqv_mmio_read(h.n.model, S, 0x20, 2, &v), CMDQV_ESIZE);
	EXPECT_EQ(cmdqv_mmio_read(h.n.model, S, 0x1F0, 4, &v), CMDQV_OK);
	EXPECT_EQ(v, 0u);
	EXPECT_EQ(cmdqv_mmio_write(h.n.model, S, 0x1F0, 4, 5), CMDQV_OK);
	EXPECT_EQ(rd(0x1F0), 0u);
}

TEST_F(Smmu, PeekHasNoTraceAndNoSideEffect)
{
	start();
	uint64_t v = 0;
	size_t before = trace.size();
	ASSERT_EQ(cmdqv_mmio_peek(h.n.model, S, 0x0, 4, &v), CMDQV_OK);
	EXPECT_EQ(v, rd(0x0));
	EXPECT_EQ(trace.size(), before + 1); /* only the rd() */
	EXPECT_EQ(trace.back().kind, CMDQV_TR_MMIO_READ);
}

TEST_F(Smmu, MmioAccessesAreTraced)
{
	start();
	wr(0x28, 0x5);
	ASSERT_EQ(trace.size(), 1u);
	EXPECT_EQ(trace[0].kind, CMDQV_TR_MMIO_WRITE);
	EXPECT_EQ(trace[0].offset, 0x28u);
	EXPECT_EQ(trace[0].value, 0x5u);
	EXPECT_EQ(trace[0].size, 4u);
}

} // namespace
